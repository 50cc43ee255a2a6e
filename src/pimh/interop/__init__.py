"""Interoperability: the CSDS v1.6 extract and the bulk CSV import (data-standards section 3)."""
