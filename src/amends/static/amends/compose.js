// The compose form of the case page: choosing a template fills the subject and text from its draft (drafts are
// rendered into the options by the server; without JavaScript the "fill" button asks the server instead).
document.addEventListener("change", (event) => {
  const select = event.target;
  if (!(select instanceof HTMLSelectElement) || select.name !== "template") return;
  const form = select.closest("form[data-drafts]");
  const option = select.selectedOptions[0];
  if (!form || !option) return;
  form.elements.namedItem("subject").value = option.dataset.subject || "";
  form.elements.namedItem("body").value = option.dataset.body || "";
});
