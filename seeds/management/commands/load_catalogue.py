"""`manage.py load_catalogue`: validate seeds/data and upsert it; safe to run any number of times."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from seeds.catalogue import catalogue_read
from seeds.errors import CatalogueInvalid
from seeds.loader import DEFAULT_DATA_DIR, catalogue_load


class Command(BaseCommand):
    help = "Nạp danh mục (tỉnh, xã, văn bản, mục tiêu, chỉ tiêu, biểu mẫu, chỉ số) từ các tệp trong seeds/data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR, help="Thư mục chứa các tệp dữ liệu.")
        parser.add_argument("--check", action="store_true", help="Chỉ kiểm tra các tệp, không ghi cơ sở dữ liệu.")

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir: Path = options["data_dir"]
        try:
            if options["check"]:
                catalogue_read(data_dir=data_dir)
                self.stdout.write(_("Các tệp hợp lệ: %(path)s") % {"path": data_dir})
                return
            report = catalogue_load(data_dir=data_dir)
        except CatalogueInvalid as exc:
            raise CommandError(
                _("Không nạp được danh mục; cơ sở dữ liệu không thay đổi. Lỗi:\n%(errors)s") % {"errors": exc}
            ) from exc
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(
            _("Tổng: tạo mới %(created)d, cập nhật %(updated)d, xóa %(deleted)d.")
            % {"created": report.created, "updated": report.updated, "deleted": report.deleted}
        )
        if report.rollups_marked:
            self.stdout.write(_("Danh mục đã thay đổi: số liệu tổng hợp sẽ được tính lại toàn bộ."))
