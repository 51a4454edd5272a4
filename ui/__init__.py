"""The PySide6 editor: windows, dialogs, the form built from the catalogue, Qt adapters."""
