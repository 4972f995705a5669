"""Distances on the Earth's surface and Poland's bounding box."""

from __future__ import annotations

import math
from typing import Final

EARTH_RADIUS_KM: Final = 6371.0088
# Poland lies within 49.00-54.84 N and 14.12-24.15 E; a small margin is allowed.
POLAND_LAT: Final = (48.9, 55.0)
POLAND_LON: Final = (14.0, 24.3)
KM_PER_DEGREE_LAT: Final = 111.0


def in_poland(latitude: float, longitude: float) -> bool:
    return (POLAND_LAT[0] <= latitude <= POLAND_LAT[1]
            and POLAND_LON[0] <= longitude <= POLAND_LON[1])


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(
    latitude: float, longitude: float, radius_km: float
) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) containing every point within `radius_km`."""
    dlat = radius_km / KM_PER_DEGREE_LAT
    cos_lat = max(math.cos(math.radians(min(89.0, abs(latitude) + dlat))), 1e-6)
    dlon = radius_km / (KM_PER_DEGREE_LAT * cos_lat)
    return latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon
