"""Bilingual files (XLIFF 1.2/2.x, TMX, PO): read units, check them, write findings back."""
