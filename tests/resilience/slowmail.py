"""A slow e-mail backend for the worker-kill test: each message takes SLOWMAIL_SECONDS, then is
written to SLOWMAIL_DIR, one file per message, so the test can watch delivery progress."""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class SlowFileBackend(BaseEmailBackend):
    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        folder = Path(os.environ["SLOWMAIL_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            time.sleep(float(os.environ.get("SLOWMAIL_SECONDS", "0.5")))
            (folder / f"{uuid.uuid4().hex}.eml").write_text("\n".join(message.to) + "\n" + message.subject)
        return len(email_messages)
