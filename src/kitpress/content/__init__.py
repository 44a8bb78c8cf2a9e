"""Kit content: YAML files → frozen, validated content objects (no drawing here)."""
