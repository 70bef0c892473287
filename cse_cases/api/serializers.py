from __future__ import annotations

from rest_framework import serializers

from cse_cases.models import Agency, Area, Team, User


class AreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["id", "name", "code", "nation"]


class AgencySerializer(serializers.ModelSerializer):
    areas = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Agency
        fields = ["id", "name", "kind", "areas", "is_active"]


class TeamSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name", "agency", "supervisor"]


class MeSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="get_full_name")
    agency = AgencySerializer(read_only=True)
    areas = AreaSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "email",
            "role",
            "job_title",
            "agency",
            "team",
            "areas",
        ]
