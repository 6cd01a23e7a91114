"""Sign-in and registration forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import Email, EqualTo, Length, Optional

from webapp.services.accounts import USERNAME_RULE


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[Length(1, 32)])
    password = PasswordField("Password", validators=[Length(1, 256)])
    remember = BooleanField("Keep me signed in")


class RegisterForm(FlaskForm):
    username = StringField("Username", validators=[Length(3, 32), USERNAME_RULE])
    display_name = StringField("Display name", validators=[Optional(), Length(max=64)])
    email = EmailField("Email (optional)", validators=[Optional(), Email(), Length(max=254)])
    password = PasswordField("Password", validators=[Length(8, 256)])
    confirm = PasswordField(
        "Repeat password", validators=[EqualTo("password", message="Passwords differ.")]
    )


class ResetForm(FlaskForm):
    password = PasswordField("New password", validators=[Length(8, 256)])
    confirm = PasswordField(
        "Repeat password", validators=[EqualTo("password", message="Passwords differ.")]
    )
