/* Small behaviours of forms, kept out of the markup so the Content-Security-Policy runs no inline code:
   a control marked data-autosubmit sends its form when it changes. */
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target instanceof Element && target.matches("[data-autosubmit]") && target.form) {
    target.form.requestSubmit ? target.form.requestSubmit() : target.form.submit();
  }
});
