"""Referral pages, one module per part of the journey (referrals/urls.py names them).

intake.py    making a referral
lists.py     the referrals a person made, and the screening queue
referral.py  the referral's page and every step taken on it
"""
