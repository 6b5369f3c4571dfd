"""Everything the tool writes for a reader, and the only place that imports python-docx,
docxtpl, jinja2, lxml, openpyxl and rich:

- memo.py: the Technical Bill Analysis memo from a lawyer's Word or Markdown template
  (context.py gives its fields, sandbox.py the template sandbox and its budget, notes.py the
  Word footnotes, build.py the built-in templates beside them);
- appendix.py: the amicus appendix in Word, CSV and Excel;
- redline.py and comparison.py: the compare redline with tracked changes, and the report;
- terminal.py: what the commands print on a terminal.
"""
