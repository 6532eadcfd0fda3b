"""Data, checks and progress analysis for the Suzhou civil-affairs mid-term evaluation book."""
