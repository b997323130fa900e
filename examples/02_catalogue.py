"""Browse the shipped procedure catalogue and open a dossier for one of its procedures.

Shows: searching with or without Vietnamese diacritics, reading a procedure's time limit and its
legal source (``Catalog.limit_for``: the procedure's own limit, else its inter-agency route's),
building a dossier with a dossier code, receiving it through its lifecycle (which writes the
receipt and the appointment into the dossier), and exporting it with the national portal's field
names: ``NgayHenTra`` is always set, since a received dossier without its appointment is refused.

Run: ``python examples/02_catalogue.py``
"""

from __future__ import annotations

import datetime as dt

from mot_cua.catalog import Catalog
from mot_cua.identifiers import DossierCode
from mot_cua.interop import from_national, to_national
from mot_cua.lifecycle import Lifecycle
from mot_cua.models import Applicant, Dossier
from mot_cua.timezone import VN_TZ


def main() -> None:
    """Print a few procedures, then a dossier in national-portal form."""
    catalog = Catalog.default()
    print(f"{len(catalog)} procedures in the sample catalogue")
    for proc in catalog.search("dang ky", field="ho tich"):  # no diacritics needed
        basis = proc.time_limit_basis
        print(f"- {proc.name}: {proc.time_limit} ({basis})")

    proc = catalog.get("ho-tich.dang-ky-khai-sinh")
    desk = catalog.agency("ttphcc-phuong-hoan-kiem")
    received = dt.datetime(2025, 7, 2, 9, 30, tzinfo=VN_TZ)
    code = DossierCode.generate(desk.code, received.date(), 1)
    dossier = Dossier(
        code=str(code),
        procedure_id=proc.id,
        applicant=Applicant(kind="citizen", name="Nguyễn Thị Lan", cccd="001190000123"),
        channel="in_person",
        receiving_unit=desk.code,
        deciding_unit=proc.lead_agency,
        submitted_at=received,
    )
    lifecycle = Lifecycle.for_dossier(dossier, catalog.limit_for(proc.id, dossier.channel))
    lifecycle.send("receive", at=received, actor=desk.code)
    lifecycle.apply_to(dossier)  # status, receipt, appointment and history
    birth = catalog.get("lien-thong.khai-sinh-thuong-tru-bhyt")
    print(f"liên thông {birth.id}: {catalog.limit_for(birth.id, 'online')} (its route's limit)")
    national = to_national(dossier, catalog=catalog)
    print({k: v for k, v in national.items() if k != "MotCua"})
    assert national["NgayHenTra"] is not None
    assert from_national(national, catalog=catalog) == dossier


if __name__ == "__main__":
    main()
