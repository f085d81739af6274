"""Partner networks: reports exchanged with INHOPE member hotlines through ICCAM (API v3)."""
