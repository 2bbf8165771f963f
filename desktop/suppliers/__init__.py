"""Leveranciers (with their verwerkersovereenkomst) and uitwisselingen met derden: two register
pages (desktop/suppliers/page.py) and their dialogs."""
