# Step 5 (optional): attributes for access control. The matching SAML claims on the Entra side
# are added by the Python command `abac` (README lifecycle table).
resource "aws_ssoadmin_instance_access_control_attributes" "abac" {
  count        = var.account.enable_abac ? 1 : 0
  instance_arn = local.instance_arn

  dynamic "attribute" {
    for_each = var.account.abac_attributes
    content {
      key = attribute.key
      value {
        source = [attribute.value]
      }
    }
  }
}
