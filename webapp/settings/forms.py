"""Forms of the settings page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import EqualTo, Length, NumberRange, Optional

from core.taste import COUNT_RANGE, ENERGY_SCALES


class ProfileForm(FlaskForm):
    display_name = StringField("Display name", validators=[Length(1, 64)])


class PasswordForm(FlaskForm):
    old_password = PasswordField("Current password", validators=[Length(1, 256)])
    password = PasswordField("New password", validators=[Length(8, 256)])
    confirm = PasswordField(
        "Repeat new password", validators=[EqualTo("password", message="Passwords differ.")]
    )


class PreferencesForm(FlaskForm):
    default_count = IntegerField(
        "Tracks per playlist when I don't say",
        validators=[Optional(), NumberRange(*COUNT_RANGE)],
    )
    exclude = TextAreaField(
        "Never give me (genres or tags, separated by commas)", validators=[Length(max=1000)]
    )
    energy_scale = SelectField("Show energy as", choices=list(ENERGY_SCALES.items()))


class DeleteForm(FlaskForm):
    password = PasswordField("Your password, to confirm", validators=[Length(1, 256)])
