"""Where submissions come from: ODK Central, device-export files, a PostGIS inbox table;
their shared configurations, the accounts bound per person, and what a server offers."""
