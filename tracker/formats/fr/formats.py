DATE_FORMAT = "j F Y"
# N: "juil.", "juin" — the month abbreviations the French press uses; M's "Jui" is both.
SHORT_DATE_FORMAT = "j N Y"
DATETIME_FORMAT = "j F Y, H:i"
