"""`python -m gateway.seed`: see `gateway.seed.run`."""

from gateway.seed.run import main

main()
