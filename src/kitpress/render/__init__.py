"""Drawing with ReportLab. Renderers get validated objects and return PDF bytes;
they know nothing of YAML, files or the command line."""

from kitpress.render.platypus import import_platypus

import_platypus()  # before any renderer imports it (see render/platypus.py)
