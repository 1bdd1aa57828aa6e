"""Training commands for marsad's own models (`marsad train ...`)."""
