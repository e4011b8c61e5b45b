"""The app's date formats per language (FORMAT_MODULE_PATH): days, month names and years written
out, never ambiguous abbreviations ("12 juil. 2028", not "12 Jui 2028"), Russian months in the
genitive ("15 февраля 2026")."""
