from django.urls import path

from referrals import views

urlpatterns = [
    path("", views.referral_list, name="referrals"),
    path("new/", views.referral_create, name="referral-create"),
    path("queue/", views.queue, name="referral-queue"),
    path("<int:pk>/", views.referral_detail, name="referral"),
    path("<int:pk>/assign/", views.referral_assign, name="referral-assign"),
    path("<int:pk>/screening/start/", views.referral_start, name="referral-start"),
    path("<int:pk>/screening/", views.referral_screening, name="referral-screening"),
    path("<int:pk>/identify/", views.referral_identify, name="referral-identify"),
    path("<int:pk>/move/", views.referral_transfer, name="referral-transfer"),
    path("<int:pk>/decide/", views.referral_decide, name="referral-decide"),
    path("<int:pk>/close/", views.referral_close, name="referral-close"),
    path("<int:pk>/reopen/", views.referral_reopen, name="referral-reopen"),
    path(
        "<int:pk>/files/<int:attachment_pk>/",
        views.attachment_download,
        name="referral-attachment",
    ),
]
