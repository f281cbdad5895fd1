"""IAM Identity Center's SCIM 2.0 endpoint: https://scim.<region>.amazonaws.com/<tenant>/scim/v2/."""
