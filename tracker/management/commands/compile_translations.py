"""Compile locale/*.po to .mo with polib, so the build needs no GNU gettext on the machine.

Each .mo is written to a temporary file next to it and then renamed over it (os.replace is
atomic within a directory): a process reading the catalogue while another one compiles it (make
run next to make test) sees the old file or the new one, never half of one.
"""

import contextlib
import os
import tempfile
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


def _current_umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def write_mo_atomically(po_path: Path, mo_path: Path) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=mo_path.parent, prefix=f".{mo_path.name}.", suffix=".tmp")
    os.close(descriptor)
    try:
        polib.pofile(str(po_path)).save_as_mofile(temporary)
        # mkstemp creates the file readable by its owner only; a .mo is as readable as any file.
        os.chmod(temporary, 0o666 & ~_current_umask())
        os.replace(temporary, mo_path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


class Command(BaseCommand):
    help = "Biên dịch bản dịch (.po -> .mo) không cần gettext."

    def handle(self, *args: object, **options: object) -> None:
        count = 0
        for base in settings.LOCALE_PATHS:
            for po_path in Path(base).glob("*/LC_MESSAGES/*.po"):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                write_mo_atomically(po_path, mo_path)
                count += 1
        self.stdout.write(f"compiled {count} catalogue(s)")
