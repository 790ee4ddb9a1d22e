"""Date input formats for Vietnamese pages, which Django's own "vi" locale does not define.

Without them a date typed the Vietnamese way ("01/07/2025") in the admin fell back to the
default formats and was read month first, as 7 January. Day first, then ISO (what date pickers
and the API send); the display formats stay Django's.
"""

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
