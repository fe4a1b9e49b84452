"""The models of the council spaces; each part lives in its own module and is re-exported here."""

from .documents import CouncilDocument as CouncilDocument
from .documents import CouncilDocumentQuerySet as CouncilDocumentQuerySet
from .documents import DocumentVisibility as DocumentVisibility
