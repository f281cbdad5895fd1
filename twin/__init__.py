"""Local cloud twin of aws-commercial, aws-govcloud and azure-id (tests only)."""
