"""The HTML page: every section rendered, images decodable, user strings escaped."""

import base64
import io
import re
from html.parser import HTMLParser

import matplotlib.image

from ravine.report import Report, Section, render_html
from ravine.report.html import fill, format_cell


class PageParser(HTMLParser):
    """Collects ids, image sources, <script> tags and external references."""

    def __init__(self):
        super().__init__()
        self.ids, self.images, self.scripts, self.links = [], [], [], []
        self.tags = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "img":
            self.images.append(attrs)
        if tag == "script":
            self.scripts.append(attrs)
        if tag == "link" or (tag == "a" and not attrs.get("href", "#").startswith("#")):
            self.links.append(attrs)


def parse(page):
    parser = PageParser()
    parser.feed(page)
    return parser


def test_every_section_has_an_anchor_and_a_toc_link(sample_report):
    page = render_html(sample_report)
    parsed = parse(page)
    for section in sample_report.sections:
        assert parsed.ids.count(section.id) == 1
        assert f'href="#{section.id}"' in page
    assert len(parsed.ids) == len(set(parsed.ids))


def test_every_image_is_an_embedded_png_that_decodes(sample_report):
    parsed = parse(render_html(sample_report))
    n_figures = sum(len(s.figures) for s in sample_report.sections)
    assert len(parsed.images) == n_figures == 3
    for attrs in parsed.images:
        prefix = "data:image/png;base64,"
        assert attrs["src"].startswith(prefix)
        pixels = matplotlib.image.imread(io.BytesIO(base64.b64decode(attrs["src"][len(prefix):])), format="png")
        assert pixels.ndim == 3 and pixels.shape[0] > 10


def test_page_is_self_contained(sample_report):
    page = render_html(sample_report)
    parsed = parse(page)
    assert parsed.scripts == []
    assert parsed.links == []
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    assert "@import" not in page and "url(" not in page


def test_user_strings_are_escaped_everywhere(sample_report, evil):
    page = render_html(sample_report)
    assert evil not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert parse(page).scripts == []
    # the title, subtitle, lead, table, key number, finding, caption and environment all show it escaped
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 14


def test_failed_section_renders_its_error_and_the_rest_still_renders(sample_report):
    page = render_html(sample_report)
    words = page[page.index('id="words"'):]
    assert "This study failed to run" in words
    assert "RuntimeError: corpus &lt;missing&gt; &amp; gone" in words
    assert 'class="card status-failed"' in page
    assert "Step size on a quadratic" in page
    assert "<b>1</b> failed" in page


def test_key_numbers_show_theory_and_agreement(sample_report):
    page = render_html(sample_report)
    assert page.count("kn kn-agree") == 1 and page.count("kn kn-disagree") == 1
    assert "theory 0.5" in page and "+0.4%" in page and "+40.0%" in page


def test_wide_figures_span_the_grid_and_integers_show_in_full(sample_report):
    page = render_html(sample_report)
    assert page.count('<figure class="fig fig-wide">') == 1 and page.count('<figure class="fig">') == 2
    assert '12345<span class="kn-unit">steps</span>' in page


def test_table_cells_use_column_formats_and_spell_out_infinity(sample_report):
    page = render_html(sample_report)
    table = page[page.index("<h3>Runs</h3>"):]
    table = table[: table.index("</table>")]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", table)
    assert cells == ["0.1", "1e-09", "no", "2.5", "∞", "yes", "0.5", "—", "no"]


def test_findings_are_ordered_most_severe_first(sample_report):
    page = render_html(sample_report)
    section = page[page.index('id="step-size"'):page.index('id="user-study"')]
    assert section.index("sev-warning") < section.index("sev-ok")


def test_format_cell():
    assert format_cell(None) == "—"
    assert format_cell(float("nan")) == "NaN"
    assert format_cell(float("-inf")) == "−∞"
    assert format_cell(0.123456, ".2%") == "12.35%"
    assert format_cell(12) == "12"


def test_fill_escapes_values_but_not_markup():
    from ravine.report.html import Markup

    out = fill("toc_item.html", status="ok", id="x", number=1, title="a < b", marks=Markup("<b>m</b>"))
    assert "a &lt; b" in out and "<b>m</b>" in out


def test_empty_report_renders():
    page = render_html(Report("Nothing yet"))
    assert "<h1>Nothing yet</h1>" in page and "<b>0</b> studies" in page
    assert render_html(Report("r", [Section(id="only", title="Only")])).count('id="only"') == 1
