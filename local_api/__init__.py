"""The embedded local API: the deployed pricing API's contract, served on this machine."""
