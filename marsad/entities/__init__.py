"""Named entities: the NER tagger (ner.py) and its tokenizer (tokens.py), among others."""
