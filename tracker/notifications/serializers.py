from rest_framework import serializers

from tracker.notifications.models import Channel, Notification


class NotificationSerializer(serializers.ModelSerializer):
    event_label = serializers.CharField(source="get_event_display", read_only=True)
    is_read = serializers.SerializerMethodField()
    # In the request's language, rendered from the stored parameters.
    title = serializers.CharField(source="shown_title", read_only=True)
    body = serializers.CharField(source="shown_body", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "event", "event_label", "period", "title", "body", "link", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    def get_is_read(self, obj: Notification) -> bool:
        return obj.read_at is not None


class PreferenceSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices)


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class UnreadSerializer(serializers.Serializer):
    unread = serializers.IntegerField()
