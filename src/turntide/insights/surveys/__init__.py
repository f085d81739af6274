"""The survey workspace: researchers upload survey microdata (encrypted at rest), declare its
design once, and read design-based estimates from it (`turntide.core.survey`)."""
