# Vendor.kind → Vendor.relation: element_save(kind=...) names the part of a plan being
# saved, so a vendor field of the same name could not be set through the service.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_execution"),
    ]

    operations = [
        migrations.RenameField(model_name="vendor", old_name="kind", new_name="relation"),
        migrations.AlterField(
            model_name="vendor",
            name="relation",
            field=models.CharField(
                choices=[
                    ("competitor", "Competitor in the account"),
                    ("introducer", "Other vendor who could introduce us"),
                ],
                default="competitor",
                max_length=20,
                verbose_name="relation to the customer",
            ),
        ),
        migrations.AlterModelOptions(
            name="vendor",
            options={"ordering": ["plan", "relation", "name", "pk"]},
        ),
    ]
