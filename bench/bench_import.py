"""Import throughput: records/s for parsing and for parse + store.

Generates 20,000 RIS and 20,000 NoteExpress (CNKI) records in a temporary
directory, then times review.sources.readers.parse_bytes and
review.importer.import_files into a fresh project database. Rates are per
second of CPU time of this process (time.process_time), so that a loaded
machine does not change them much; wall-clock rates are printed beside them.
Run: python bench/bench_import.py [N]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from review.db import open_db
from review.importer import import_files
from review.sources.readers import parse_bytes


def ris_text(n: int) -> str:
    return "".join(
        f"TY  - JOUR\r\nTI  - Chimeric antigen receptor T cells study number {i}\r\n"
        f"AU  - Author{i}, A.\r\nAU  - Second, B.\r\nPY  - {2000 + i % 25}\r\nJO  - Journal {i % 300}\r\n"
        f"VL  - {i % 90}\r\nIS  - {i % 12}\r\nSP  - {i % 500}\r\nEP  - {i % 500 + 9}\r\n"
        f"SN  - 1234-567X\r\nDO  - 10.1000/bench.{i}\r\nKW  - CAR-T\r\nKW  - lymphoma\r\n"
        f"AB  - Background: a study of {i} patients.\r\n      Results: responses were seen.\r\nDB  - Embase\r\nER  - \r\n\r\n"
        for i in range(n)
    )


def noteexpress_text(n: int) -> str:
    return "".join(
        f"{{Reference Type}}: Journal Article\r\n{{Title}}: 嵌合抗原受体T细胞治疗研究第{i}号\r\n"
        f"{{Author}}: 王晓明;;李静;;张伟{i}\r\n{{Journal}}: 中华血液学杂志\r\n{{ISBN/ISSN}}: 0253-2727\r\n"
        f"{{Year}}: {2000 + i % 25}\r\n{{Volume}}: {i % 60}\r\n{{Issue}}: {i % 12}\r\n{{Pages}}: 1-{i % 90 + 2}\r\n"
        f"{{Keywords}}: 嵌合抗原受体;白血病;淋巴瘤\r\n{{Abstract}}: 目的 评价第{i}组患者的疗效。\r\n"
        f"{{Database Provider}}: CNKI\r\n\r\n"
        for i in range(n)
    )


def main(n: int = 20000) -> None:
    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        files = {"ris": (Path(tmp) / "bench.ris", ris_text(n).encode("utf-8")),
                 "cnki noteexpress": (Path(tmp) / "bench.net", noteexpress_text(n).encode("utf-8")),
                 "cnki noteexpress gb18030": (Path(tmp) / "bench_gb.net", noteexpress_text(n).encode("gb18030"))}
        for label, (path, data) in files.items():
            path.write_bytes(data)
            c0, t0 = time.process_time(), time.perf_counter()
            fmt, recs = parse_bytes(data, str(path))
            c_parse, t_parse = time.process_time() - c0, time.perf_counter() - t0
            db = Path(tmp) / f"{path.stem}.db"
            from review.project import init_project
            init_project(root / "protocols" / "car-t-2025.toml", db)
            conn = open_db(db)
            c0, t0 = time.process_time(), time.perf_counter()
            res = import_files(conn, [path])
            c_all, t_all = time.process_time() - c0, time.perf_counter() - t0
            conn.close()
            print(f"{label:26s} {len(recs):6d} records ({len(data) / 1e6:5.1f} MB, {fmt}): "
                  f"parse {len(recs) / c_parse:7.0f} rec/s CPU ({len(recs) / t_parse:7.0f} wall); "
                  f"parse+store {res[0].added / c_all:7.0f} rec/s CPU ({res[0].added / t_all:7.0f} wall)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
