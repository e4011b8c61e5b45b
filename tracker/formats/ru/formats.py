# E: the month in the genitive, as a Russian date says it ("15 февраля 2026").
DATE_FORMAT = "j E Y"
SHORT_DATE_FORMAT = "j E Y"
DATETIME_FORMAT = "j E Y, H:i"
