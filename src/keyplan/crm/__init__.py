"""Changes back to the CRM: what plans create in keyplan (opportunities from ideas,
actions and activities, contacts added on the relationship map, meetings and calls
logged) leaves as files the CRM loads. keyplan does not become the CRM; Salesforce Data
Loader files first (``salesforce_export``), and the Salesforce ids those records get are
learned back on the next Salesforce import (``salesforce_ids``), so nothing is
duplicated on the round trip."""
