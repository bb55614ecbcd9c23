"""Relations in API writes accept only records the requesting user may see, so an
invisible id answers exactly like a missing one ("object does not exist")."""

from rest_framework import serializers


class VisiblePrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    def __init__(self, model=None, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        manager = self.model.objects
        if request is None:
            return manager.none()
        if hasattr(manager, "visible_to"):
            return manager.visible_to(request.user)
        return manager.all()
