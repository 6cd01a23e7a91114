"""Pure domain code, one package per family; ARCHITECTURE.md lists them."""
