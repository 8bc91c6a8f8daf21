"""Tillgänglighetsredogörelse: the accessibility statement, linked from every page's sidebar."""

from insatskollen.ui import statement

statement.page()
