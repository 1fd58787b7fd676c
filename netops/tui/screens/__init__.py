"""Chat screens: approval, evidence viewer, conversations, help."""
