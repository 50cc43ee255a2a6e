"""Workforce: the health visiting demand model, its uncertainty, specialist waits and weighted caseloads."""
