"""Rendering a filled form: Jinja2 templates to HTML, WeasyPrint to PDF, segno for the QR code.

The templates, the print stylesheet and the font are package data (``templates/``,
``fonts/``). The font is Liberation Serif 2.1.5 (SIL Open Font License 1.1, metric-compatible
with Times New Roman, full Vietnamese coverage), loaded with ``@font-face`` so that a form never
depends on the fonts a machine happens to have.

Costly objects (the Jinja2 environment, WeasyPrint's font configuration and the parsed
stylesheet) are built once per process and reused.
"""

from __future__ import annotations

import atexit
import base64
import functools
import threading
from collections.abc import Iterable, Sequence
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from mot_cua.errors import FormError, InvalidInputError, brief
from mot_cua.forms._fill import FilledForm
from mot_cua.forms._vi import BLANK

__all__ = ["FONT_FILES", "FontMode", "to_html", "to_pdf", "to_pdfs"]

#: How the HTML refers to the shipped font: ``embed`` (data URIs: one self-contained file),
#: ``link`` (``file://`` URLs to the installed package), ``none`` (no ``@font-face``; golden
#: files, or HTML that a caller styles itself).
FontMode = Literal["embed", "link", "none"]

#: The shipped font files, by (weight, style).
FONT_FILES = {
    ("normal", "normal"): "LiberationSerif-Regular.ttf",
    ("bold", "normal"): "LiberationSerif-Bold.ttf",
    ("normal", "italic"): "LiberationSerif-Italic.ttf",
}
_FAMILY = "MotCua Serif"
# WeasyPrint's shared font configuration (Pango, fontconfig) is not documented as thread-safe:
# PDFs are laid out one at a time per process.
_PDF_LOCK = threading.Lock()


def _package_dir() -> Path:
    # The forms package is a regular directory in every supported install (wheel, editable).
    return Path(str(resources.files("mot_cua.forms")))


def _finalize(value: Any) -> Any:
    """Never print ``None``: a missing value is the form's dotted blank."""
    return BLANK if value is None else value


def _breakable(value: object) -> Any:
    """Escaped text that may wrap after each hyphen (dossier codes in narrow columns)."""
    from markupsafe import Markup, escape

    return Markup(str(escape(value)).replace("-", "-<wbr>"))


def _moment_cell(value: object) -> Any:
    """``"09:30 14/10/2024"`` on two lines (time above date) for a narrow register column."""
    from markupsafe import Markup, escape

    return Markup("<br>".join(str(escape(part)) for part in str(value).split(" ", 1)))


def _require(module: str) -> Any:
    """Import an optional dependency of the ``forms`` extra, or say how to install it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise FormError(
            f"rendering forms needs {module.partition('.')[0]} (the 'forms' extra): "
            f"pip install 'mot_cua[forms]' ({exc})",
            missing=module,
        ) from exc


@functools.cache
def _env() -> Any:
    jinja2 = _require("jinja2")

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_package_dir() / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["BLANK"] = BLANK
    env.filters["breakable"] = _breakable
    env.filters["moment_cell"] = _moment_cell
    return env


@functools.cache
def _stylesheet() -> str:
    return (_package_dir() / "templates" / "forms.css").read_text(encoding="utf-8")


def _font_face(mode: FontMode) -> str:
    if mode == "none":
        return ""
    rules = []
    fonts = _package_dir() / "fonts"
    for (weight, style), name in FONT_FILES.items():
        path = fonts / name
        if mode == "embed":
            data = base64.b64encode(path.read_bytes()).decode("ascii")
            url = f"data:font/ttf;base64,{data}"
        else:
            url = path.as_uri()
        rules.append(
            f'@font-face {{ font-family: "{_FAMILY}"; font-weight: {weight}; '
            f'font-style: {style}; src: url("{url}") format("truetype"); }}'
        )
    return "\n".join(rules) + "\n"


@functools.cache
def _font_face_cached(mode: FontMode) -> str:
    return _font_face(mode)


def _qr_data_uri(text: str) -> str:
    segno = _require("segno")
    try:
        qr = segno.make(text, error="m")
    except (ValueError, segno.DataOverflowError) as exc:
        raise FormError(
            f"the QR code cannot hold {len(text)} characters ({exc}); give a shorter text or "
            "URL in FormDetails.qr",
            field="qr",
        ) from exc
    uri: str = qr.svg_data_uri(scale=3, border=2)
    return uri


def _check_form(form: object) -> None:
    if not isinstance(form, FilledForm):
        raise InvalidInputError(
            f"a form to render must be a FilledForm, not {type(form).__name__}; make one with "
            "fill_form(...) or use render_html / render_pdf",
            field="form",
        )


def _check_fonts(fonts: str) -> None:
    if fonts not in ("embed", "link", "none"):
        raise InvalidInputError(
            f"fonts must be 'embed', 'link' or 'none', not {brief(fonts)}", field="fonts"
        )


def _render_template(form: FilledForm, *, css: str, fragment: bool, anchor: str | None) -> str:
    qr_text = form.fields.get("qr_text")
    template = _env().get_template(form.spec.template)
    html: str = template.render(
        spec=form.spec,
        f=form.fields,
        css=css,
        qr=_qr_data_uri(qr_text) if qr_text else None,
        fragment=fragment,
        anchor=anchor,
    )
    return html


def to_html(form: FilledForm, *, fonts: FontMode = "embed") -> str:
    """The form as one HTML document (A4 print stylesheet inline).

    Args:
        form: the filled form.
        fonts: how the shipped font is referenced (see :data:`FontMode`).

    Returns:
        The HTML text.

    Raises:
        InvalidInputError: ``fonts`` is not one of ``embed``, ``link``, ``none``.
        FormError: the ``forms`` extra (Jinja2, segno) is not installed.

    >>> from mot_cua.forms import fill_form
    >>> from mot_cua.testing import make_dossier
    >>> html = to_html(fill_form("receipt", make_dossier(status="received")), fonts="none")
    >>> html.startswith("<!DOCTYPE html>"), "GIẤY TIẾP NHẬN" in html.upper()
    (True, True)
    """
    _check_form(form)
    _check_fonts(fonts)
    css = _font_face_cached(fonts) + _stylesheet()
    return _render_template(form, css=css, fragment=False, anchor=None)


@functools.cache
def _weasy() -> tuple[Any, Any]:
    weasyprint = _require("weasyprint")
    fonts = _require("weasyprint.text.fonts")
    config = fonts.FontConfiguration()
    css = weasyprint.CSS(string=_font_face("link"), font_config=config)
    # Release WeasyPrint's font configuration before interpreter shutdown tears down the modules
    # its finaliser needs.
    atexit.register(_weasy.cache_clear)
    return config, css


def to_pdf(form: FilledForm) -> bytes:
    """The form as a PDF (A4; the register in landscape), with the shipped font embedded.

    Args:
        form: the filled form.

    Returns:
        The PDF bytes.

    Raises:
        FormError: the ``forms`` extra (WeasyPrint) is not installed.

    >>> from mot_cua.forms import fill_form
    >>> from mot_cua.testing import make_dossier
    >>> to_pdf(fill_form("receipt", make_dossier(status="received")))[:5]
    b'%PDF-'
    """
    return to_pdfs([form])[0]


_ANCHOR = "mot-cua-form-"


def to_pdfs(forms: Sequence[FilledForm], *, chunk: int = 50) -> list[bytes]:
    """Many forms as PDFs, one per form, laid out ``chunk`` at a time in one document.

    Several forms are laid out in one WeasyPrint document (the style sheet is parsed once per
    chunk) and each form's pages are written to a PDF of its own. The time per form is about
    that of :func:`to_pdf` (docs/performance.md): layout dominates, not the per-document work.

    Args:
        forms: the filled forms.
        chunk: how many forms share one layout (memory grows with it).

    Returns:
        One PDF per form, in order.

    Raises:
        InvalidInputError: ``chunk`` is not positive.
        FormError: the ``forms`` extra (WeasyPrint) is not installed.

    >>> from mot_cua.forms import fill_form
    >>> from mot_cua.testing import make_dossier
    >>> forms = [fill_form("receipt", make_dossier(status="received", code=f"X-250303-000{i}"))
    ...          for i in (1, 2)]
    >>> [pdf[:5] for pdf in to_pdfs(forms)]
    [b'%PDF-', b'%PDF-']
    """
    if isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1:
        raise InvalidInputError(
            f"chunk must be a whole number of at least 1 (got a {type(chunk).__name__} that is "
            "not); pass e.g. chunk=50",
            field="chunk",
        )
    if isinstance(forms, FilledForm | str | bytes | bytearray) or not isinstance(forms, Iterable):
        raise InvalidInputError(
            f"forms must be a list of FilledForm, not {type(forms).__name__}; for one form "
            "use to_pdf(form)",
            field="forms",
        )
    items = list(forms)
    for item in items:
        _check_form(item)
    weasyprint = _require("weasyprint")
    out: list[bytes] = []
    for start in range(0, len(items), chunk):
        part = items[start : start + chunk]
        body = "".join(
            _render_template(form, css="", fragment=True, anchor=f"{_ANCHOR}{i}")
            for i, form in enumerate(part)
        )
        title = ""
        if len(part) == 1:
            spec, code = part[0].spec, part[0].dossier_code
            title = f"<title>{escape(spec.label)} – {escape(spec.title)}"
            title += f" – {escape(code)}</title>" if code else "</title>"
        html = (
            f'<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">{title}\n'
            f"<style>\n{_stylesheet()}</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
        )
        with _PDF_LOCK:
            config, fonts_css = _weasy()
            document = weasyprint.HTML(string=html, base_url=str(_package_dir())).render(
                stylesheets=[fonts_css], font_config=config
            )
            first: dict[int, int] = {}
            for number, page in enumerate(document.pages):
                for name in page.anchors:
                    if name.startswith(_ANCHOR):
                        first.setdefault(int(name[len(_ANCHOR) :]), number)
            bounds = [first[i] for i in range(len(part))] + [len(document.pages)]
            for i in range(len(part)):
                pages = document.pages[bounds[i] : bounds[i + 1]]
                out.append(document.copy(pages).write_pdf())
    return out
