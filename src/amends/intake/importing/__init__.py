"""History import (`amends import complaints FILE --mapping NAME`): mapping files, readers, the row
transformer and the bulk writer. Imported complaints are closed cases marked as imported (see run.py)."""
