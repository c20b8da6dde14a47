"""Decisions made together (the 'keep apart' decisions of one split) share a
batch id, so that one undo takes them all back."""

SQL = """
ALTER TABLE dedup_decisions ADD COLUMN batch INTEGER;
CREATE INDEX dedup_decisions_batch ON dedup_decisions (batch);
"""
