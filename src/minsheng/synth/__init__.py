"""Synthetic city: people, households and employers, vectorised with NumPy.

The generator is the pure part of ``minsheng synth --scale S --seed N``: it yields
the data in chunks (no database, no I/O beyond reading the division table), so
scale 1.0 (≈ 35 million people, see :data:`.common.POPULATION_AT_SCALE_1`) never
needs everyone in memory at once. Everything is drawn with
``numpy.random.default_rng`` from per-chunk seeds (``[seed, stream, chunk_index, …]``),
so the output depends only on ``(scale, seed, chunk_size, as_of)`` and a chunk can
be regenerated on its own.

- :mod:`.common`: size of a generation, shared constants, array aliases and helpers;
- :mod:`.geography`: counties, their weights, and the ID address codes of their
  predecessors;
- :mod:`.people`: households, ages, names, phones (:func:`.people.generate_people`);
- :mod:`.id_numbers`: GB 11643-1999 resident ID numbers and their sequence counter;
- :mod:`.employers`: USCCs, names, sizes, industries
  (:func:`.employers.generate_employers`);
- :mod:`.insurance`: who of the generated people is enrolled where;
- :mod:`.load`: writes it all through the bulk path;
- :mod:`.vacancies`: vacancies and job seekers for the matching benchmark and demo.

Each module documents its modelling choices: approximations, not statistics to quote.
"""
