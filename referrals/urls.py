from django.urls import path

from referrals.views import intake, lists, referral

urlpatterns = [
    path("", lists.referral_list, name="referrals"),
    path("new/", intake.referral_create, name="referral-create"),
    path("queue/", lists.queue, name="referral-queue"),
    path("<int:pk>/", referral.referral_detail, name="referral"),
    path("<int:pk>/assign/", referral.referral_assign, name="referral-assign"),
    path("<int:pk>/screening/start/", referral.referral_start, name="referral-start"),
    path("<int:pk>/screening/", referral.referral_screening, name="referral-screening"),
    path("<int:pk>/identify/", referral.referral_identify, name="referral-identify"),
    path("<int:pk>/move/", referral.referral_transfer, name="referral-transfer"),
    path("<int:pk>/decide/", referral.referral_decide, name="referral-decide"),
    path("<int:pk>/close/", referral.referral_close, name="referral-close"),
    path("<int:pk>/reopen/", referral.referral_reopen, name="referral-reopen"),
    path(
        "<int:pk>/files/<int:attachment_pk>/",
        referral.attachment_download,
        name="referral-attachment",
    ),
]
