"""The installation's date formats (Django ``date`` syntax): ISO dates, read the same in
every country a sales team works in, and what every page of keyplan already wrote by
hand. A template's ``|date`` and django-tables2's date columns use them."""

DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
MONTH_DAY_FORMAT = "m-d"
YEAR_MONTH_FORMAT = "Y-m"
