"""The self-contained report.html: figures embedded as base64 data URIs, tables,
inline CSS, no external reference of any kind."""

import base64
import html
import os

CSS = """
body { font-family: sans-serif; max-width: 1200px; margin: 1em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 2px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #f2f2f2; }
figure { margin: 1em 0; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { font-size: 0.9em; color: #444; max-width: 60em; }
.note { color: #666; font-size: 0.9em; } code { background: #f6f6f6; }
"""


def esc(s):
    return html.escape(str(s), quote=True)


class Page:
    def __init__(self, title):
        self.title = title
        self.parts = []

    def h1(self, text):
        self.parts.append("<h1>%s</h1>" % esc(text))

    def h2(self, text):
        self.parts.append("<h2>%s</h2>" % esc(text))

    def p(self, text, cls=None):
        self.parts.append("<p%s>%s</p>" % (' class="%s"' % cls if cls else "", esc(text)))

    def ul(self, items):
        self.parts.append("<ul>%s</ul>" % "".join("<li>%s</li>" % esc(i) for i in items))

    def table(self, header, rows):
        out = ["<table><tr>%s</tr>" % "".join("<th>%s</th>" % esc(h) for h in header)]
        for r in rows:
            out.append("<tr>%s</tr>" % "".join("<td>%s</td>" % esc(c) for c in r))
        out.append("</table>")
        self.parts.append("".join(out))

    def figure(self, outdir, fig):
        with open(os.path.join(outdir, fig["file"]), "rb") as fh:
            b64 = base64.b64encode(fh.read()).decode("ascii")
        self.parts.append(
            '<figure id="%s"><img alt="%s" src="data:image/png;base64,%s">'
            "<figcaption><b>%s.</b> %s <span class=\"note\">(%s)</span></figcaption></figure>"
            % (esc(fig["file"][:-4]), esc(fig["title"]), b64, esc(fig["title"]), esc(fig["caption"]),
               esc(fig["file"])))

    def write(self, path):
        doc = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
               "<title>%s</title><style>%s</style></head><body>\n%s\n</body></html>\n"
               % (esc(self.title), CSS, "\n".join(self.parts)))
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(doc)
        os.replace(tmp, path)
