"""The territory plan: one rep's plan for their territory in a fiscal year, built in
Conti's order (facts, strategies, activities, objectives, goals). ``services`` writes it,
``steps`` says which step is open, ``permissions`` who may change it, ``versions`` keeps
and compares snapshots, ``api`` serves it under /api/v1/territory-plans/."""
