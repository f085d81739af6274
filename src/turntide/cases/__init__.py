"""URL cases and their assessment: the analyst queue, grading and verification."""
