"""Factory Journey: the Factory Improvement Journey for apparel, footwear, textile and leather.

Data flows one way: sources → ingest → data matrix → assessment → pathway → outputs.
"""

__version__ = "0.1.0"
