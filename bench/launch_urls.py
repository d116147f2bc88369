"""The demo's URLs plus the stock pylti1p3 launch path the benchmark compares against."""

from django.urls import path

from bench.stock_launch import stock_launch, stock_login
from demo.urls import urlpatterns as demo_urlpatterns

urlpatterns = [
    path("stock/login/", stock_login),
    path("stock/launch/", stock_launch),
    *demo_urlpatterns,
]
