"""The four input tables: their schema, reading and parsing them, and every validation rule."""
